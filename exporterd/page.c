/*
 * The web page: the container tree and live charts of cpu, memory, io and
 * network for the chosen container, refreshed every tick from the JSON
 * API.  One document with its script and style inline: nothing is loaded
 * from anywhere else.
 */
#include "exporterd.h"

static const char page[] =
"<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
"<title>cadv</title><style>"
"body{font:14px sans-serif;margin:0;display:flex;height:100vh}"
"#tree{width:30%;overflow:auto;border-right:1px solid #ccc;padding:8px}"
"#tree a{display:block;color:#036;text-decoration:none;white-space:nowrap}"
"#tree a.sel{font-weight:bold}#main{flex:1;padding:8px;overflow:auto}"
"canvas{border:1px solid #ddd;margin:4px}h2{font-size:16px}"
"</style></head><body><div id=tree></div><div id=main><h2 id=title></h2>"
"<div id=charts></div></div><script>\n"
"'use strict';\n"
"const charts=[['cpu','cores',(a,b,dt)=>(b.cpu.usage.total-a.cpu.usage.total)/1e9/dt],"
"['memory','bytes',(a,b)=>b.memory.usage],"
"['io','bytes/s',(a,b,dt)=>((b.diskio.read_bytes+b.diskio.write_bytes)-(a.diskio.read_bytes+a.diskio.write_bytes))/dt],"
"['network','bytes/s',(a,b,dt)=>{const s=x=>(x.network&&x.network.interfaces||[]).reduce((t,i)=>t+i.rx_bytes+i.tx_bytes,0);return (s(b)-s(a))/dt}]];\n"
"let cur=decodeURIComponent(location.pathname.replace(/^\\/containers/,''))||'/';\n"
"function el(t,p){const e=document.createElement(t);Object.assign(e,p||{});return e}\n"
"async function tree(){const r=await fetch('/api/v1.3/subcontainers/?count=0');"
"const l=await r.json();const t=document.getElementById('tree');t.textContent='';"
"l.map(c=>c.name).sort().forEach(n=>{const d=n=='/'?0:n.split('/').length-1;"
"const a=el('a',{textContent:n=='/'?'/':n.split('/').pop(),href:'/containers'+n,title:n});"
"a.style.paddingLeft=(d*12)+'px';a.dataset.name=n;if(n==cur)a.className='sel';"
"a.onclick=e=>{e.preventDefault();cur=n;history.pushState(null,'','/containers'+n);tree();draw()};t.appendChild(a)})}\n"
"function plot(cv,pts,label,unit){const g=cv.getContext('2d'),W=cv.width,H=cv.height;"
"g.clearRect(0,0,W,H);g.fillStyle='#000';g.fillText(label+' ('+unit+')',6,12);"
"if(pts.length<1)return;const top=Math.max(...pts.map(p=>p[1])),max=top||1;"
"g.fillText(top.toPrecision(3),W-60,12);g.strokeStyle='#06c';g.beginPath();"
"const t0=pts[0][0],t1=pts[pts.length-1][0]||t0+1;"
"pts.forEach((p,i)=>{const x=6+(W-12)*(t1>t0?(p[0]-t0)/(t1-t0):1),y=H-6-(H-24)*p[1]/max;"
"i?g.lineTo(x,y):g.moveTo(x,y)});g.stroke();cv.dataset.points=pts.length}\n"
"async function draw(){document.getElementById('title').textContent=cur;"
"const r=await fetch('/api/v2.0/stats'+(cur=='/'?'/':cur)+'?count=60');if(!r.ok)return;"
"const d=await r.json(),s=Object.values(d)[0]||[];const box=document.getElementById('charts');"
"charts.forEach(([name,unit,f],k)=>{let cv=document.getElementById('c'+k);"
"if(!cv){cv=el('canvas',{id:'c'+k,width:480,height:160});box.appendChild(cv)}"
"const pts=[];for(let i=1;i<s.length;i++){const dt=(s[i].timestamp_ns-s[i-1].timestamp_ns)/1e9;"
"try{const v=f(s[i-1],s[i],dt);if(isFinite(v))pts.push([s[i].timestamp_ns/1e9,v])}catch(e){}}"
"plot(cv,pts,name,unit)})}\n"
"tree().then(draw);setInterval(draw,1000);setInterval(tree,10000);\n"
"</script></body></html>\n";

void
page_answer(const char *path, struct answer *a)
{
	(void)path;
	a->status = 200;
	a->type = "text/html; charset=utf-8";
	buf_add(&a->body, page, sizeof(page) - 1);
}
